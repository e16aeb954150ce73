using ZoomWebhooks.Dispatch;

namespace ZoomWebhooks.Recordings;

/// <summary>Wakes the download worker when a job is queued or a slot frees up.</summary>
internal sealed class RecordingSignal : WakeSignal;
