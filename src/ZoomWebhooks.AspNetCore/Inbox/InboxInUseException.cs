namespace ZoomWebhooks;

/// <summary>
/// The receiver refused to start: another process already runs a receiver on the same SQLite
/// inbox file (it holds <c>{file}.lock</c>). SQLite is one process per file; stop the other one
/// first, or use PostgreSQL (<c>Inbox:Provider=Postgres</c>) for several receivers. The message
/// names the file and the lock. The lock is per open file, so a second host in the same process
/// (tests run in parallel on one file) meets it too: give each host its own file.
/// </summary>
public sealed class InboxInUseException : IOException
{
    /// <summary>An inbox in use, without details.</summary>
    public InboxInUseException()
        : base("Another process already runs a receiver on this SQLite inbox.")
    {
    }

    /// <summary>An inbox in use, with the message that says which.</summary>
    public InboxInUseException(string message)
        : base(message)
    {
    }

    /// <summary>An inbox in use, with the failure to take its lock.</summary>
    public InboxInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
