namespace ZoomWebhooks.Dispatch;

/// <summary>Wakes the dispatcher when an event is accepted.</summary>
internal sealed class DispatchSignal : WakeSignal;
