using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>The project's recording samples become the jobs the README's walkthrough shows.</summary>
public sealed class RecordingSampleTests
{
    [Theory]
    [InlineData("recording.completed", "7c1e9b52-4d0a-4f6e-a3b8-2e5d9c71f084.mp4,b04f6a3d-98c2-4e17-8d5a-61f2e0c7a9d3.m4a", "sample-download-token-not-real")]
    [InlineData("recording.transcript_completed", "e2a7c4f1-5b39-4d86-9f0e-7c1b3a8d6e52.vtt", "sample-transcript-download-token-not-real")]
    public void Each_file_of_the_sample_is_one_job_with_the_token_from_beside_the_payload(string eventName, string names, string token)
    {
        var body = RepositoryFiles.Read(Path.Combine("samples", eventName + ".json"));

        var files = QueueRecordingFiles.Files(new ZoomEventReceived(1, eventName, 1_796_032_387_044, "Ac9TxQe4Rz7LpWm2NkYd3B", body));

        files.Select(f => f.Path).Should().Equal(names.Split(',').Select(n => $"Ac9TxQe4Rz7LpWm2NkYd3B/k3Jd_2B9QvT_2FaZ1xW8mN0p2g_3D_3D/{n}"));
        files.Should().OnlyContain(f => f.DownloadToken == token && f.FileSize > 0 && f.Meeting.Uuid == "k3Jd+9QvT/aZ1xW8mN0p2g==");
    }
}
