using System.Security.Cryptography;
using System.Text;

namespace ZoomWebhooks.Events;

/// <summary>What a log line says of an account: the first 12 hex digits of its id's SHA-256, never the id.</summary>
internal static class AccountRef
{
    public static string Of(string accountId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accountId)))[..12];
}
