using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Hosting;

/// <summary>Turns a configuration failure at start into the one line an operator needs.</summary>
public static class StartupFailure
{
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            string.Join(" ", aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)),
        // Another receiver on the SQLite file, like Kestrel's "address already in use" below, is an
        // operator's problem, not a crash: say it in one line.
        InboxInUseException inUse => inUse.Message,
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } bind => bind.Message,
        _ => null,
    };
}
