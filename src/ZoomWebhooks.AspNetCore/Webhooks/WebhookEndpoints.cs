using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Metrics;
using ZoomWebhooks.Telemetry;

namespace ZoomWebhooks.Webhooks;

/// <summary>
/// <c>POST {Zoom:Webhooks:Path}</c>: verify, store, answer. Nothing else runs here: handlers run
/// later in the dispatcher, so Zoom's 3-second deadline depends only on one inbox write.
/// </summary>
internal static partial class WebhookEndpoints
{
    // Zoom's request ids are 36 characters; the header is not covered by the signature.
    private const int MaxTagLength = 128;

    public static void Map(IEndpointRouteBuilder app)
    {
        var path = app.ServiceProvider.GetRequiredService<IOptions<ZoomOptions>>().Value.Webhooks.Path;
        // Zoom's signature is the credential, whatever authorization policy the app has.
        app.MapPost(path, ReceiveAsync).WithName("ZoomWebhook").AllowAnonymous();
    }

    public static async Task<Results<Ok<WebhookAck>, Ok<UrlValidationReply>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        [AsParameters] WebhookServices services,
        CancellationToken cancellationToken)
    {
        var started = services.Time.GetTimestamp();
        var requestId = Header(request, ZoomSignature.RequestIdHeader);
        // A child of the request's span, which ASP.NET Core started from Zoom's traceparent.
        using var activity = Tracing.Source.StartActivity(Tracing.Accept);
        activity?.SetTag(Tracing.MessagingSystem, "zoom").SetTag(Tracing.OperationType, "receive")
            .SetTag(Tracing.OperationName, "accept");
        services.Diagnostics.Set("ZoomRequestId", requestId);
        services.Diagnostics.Set("ZoomEvent", null);

        var answer = await AnswerAsync(request, services, requestId, activity, cancellationToken);

        // One place records every answer: the completion log line and the metrics agree by construction.
        services.Diagnostics.Set("Outcome", answer.Outcome);
        if (answer.Rejection is { } rejection)
        {
            services.Diagnostics.Set("Reason", rejection.Reason);
        }

        activity?.SetTag(Tracing.Outcome, answer.Outcome).SetTag(Tracing.Reason, answer.Rejection?.Reason);
        if (answer.Outcome != Outcomes.Rejected && requestId is not null)
        {
            // Only for a delivery that verified: a forged request does not choose what the trace keeps.
            activity?.SetTag(Tracing.MessageId, requestId.Length <= MaxTagLength ? requestId : requestId[..MaxTagLength]);
        }

        services.Metrics.WebhookAnswered(answer.Outcome, answer.Rejection?.MetricReason, services.Time.GetElapsedTime(started));
        return answer.Result;
    }

    private static async Task<Answer> AnswerAsync(
        HttpRequest request, WebhookServices services, string? requestId, Activity? activity, CancellationToken cancellationToken)
    {
        var zoom = services.Options.CurrentValue;
        if (request.ContentLength > zoom.Webhooks.MaxBodyBytes)
        {
            return Answer.Reject(Rejection.BodyTooLarge);
        }

        if (!request.HasJsonContentType())
        {
            return Answer.Reject(Rejection.UnsupportedMediaType);
        }

        var body = await RawBody.ReadAsync(request, zoom.Webhooks.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Answer.Reject(Rejection.BodyTooLarge);
        }

        activity?.SetTag(Tracing.BodySize, body.Length);
        SignatureCheck check;
        string? secretToken;
        using (var verify = Tracing.Source.StartActivity(Tracing.Verify))
        {
            check = ZoomSignature.Verify(
                Header(request, ZoomSignature.SignatureHeader),
                Header(request, ZoomSignature.TimestampHeader),
                body,
                zoom.Active!.AcceptedSecretTokens(),
                services.Time.GetUtcNow(),
                zoom.Webhooks.TimestampTolerance,
                out secretToken);
            verify?.SetTag(Tracing.Signature, check.ToString());
        }

        if (check != SignatureCheck.Valid)
        {
            if (check == SignatureCheck.Mismatch)
            {
                services.ExplainMismatch(request, body, zoom, requestId);
            }

            return Answer.Reject(Rejection.For(check));
        }

        var clientId = Header(request, ZoomSignature.ClientIdHeader);
        if (!string.IsNullOrEmpty(zoom.Active.ClientId) && clientId is not null && clientId != zoom.Active.ClientId)
        {
            Log.ClientMismatch(services.Logger, requestId, clientId, zoom.ActiveEnvironment, zoom.Active.ClientId);
            return Answer.Reject(Rejection.ClientMismatch);
        }

        if (!WebhookEnvelope.TryParse(body, out var envelope))
        {
            return Answer.Reject(Rejection.MalformedEnvelope);
        }

        services.Diagnostics.Set("ZoomEvent", envelope.Event);
        activity?.SetTag(Tracing.Destination, envelope.Event);
        if (envelope.IsUrlValidation)
        {
            if (envelope.PlainToken is null)
            {
                return Answer.Reject(Rejection.MissingPlainToken);
            }

            services.Metrics.UrlValidated(services.Time.GetUtcNow());
            return new Answer(
                TypedResults.Ok(new UrlValidationReply(envelope.PlainToken, ZoomSignature.EncryptToken(secretToken!, envelope.PlainToken))),
                Outcomes.Validated);
        }

        var receivedAt = services.Time.GetUtcNow();
        var incoming = IncomingEvent.Create(
            body,
            envelope.Event,
            envelope.EventTs,
            envelope.MeetingUuid,
            requestId,
            Header(request, ZoomSignature.TrackingIdHeader),
            receivedAt,
            Tracing.TraceParent(activity ?? Activity.Current)) with
        {
            OrderingKey = OrderingKeys.For(services.InboxOptions.CurrentValue.Ordering, envelope.MeetingUuid, envelope.ParticipantKey),
        };
        AcceptResult result;
        using var deadline = new CancellationTokenSource(zoom.Webhooks.AcceptTimeout, services.Time);
        using var accept = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var store = Tracing.Source.StartActivity(Tracing.Store);
        try
        {
            result = await services.Inbox.AcceptAsync(incoming, accept.Token);
            store?.SetTag(Tracing.InboxId, result.Id);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            store?.Failed(ex);
            activity?.SetStatus(ActivityStatusCode.Error);
            // Never 200 for an event that is not stored: 5xx is the only answer Zoom retries. Past
            // the deadline the row may still commit; Zoom's retry then finds it as a duplicate.
            Log.InboxUnavailable(services.Logger, ex, requestId, envelope.Event);
            return Answer.Reject(Rejection.InboxUnavailable);
        }

        if (!result.IsNew)
        {
            return new Answer(TypedResults.Ok(WebhookAck.Duplicate), Outcomes.Duplicate);
        }

        services.Signal.Notify();
        services.Diagnostics.Set("InboxId", result.Id);
        activity?.SetTag(Tracing.InboxId, result.Id);
        return new Answer(TypedResults.Ok(WebhookAck.Accepted), Outcomes.Accepted);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private sealed record Answer(Results<Ok<WebhookAck>, Ok<UrlValidationReply>, ProblemHttpResult> Result, string Outcome, Rejection? Rejection = null)
    {
        public static Answer Reject(Rejection rejection) => new(rejection.ToProblem(), Outcomes.Rejected, rejection);
    }

    /// <summary>
    /// A signature that fails under the active environment's tokens but verifies under the other
    /// environment's is the classic mix-up (the development app's URL pointing at production, or
    /// the reverse). Only computed on failure, so the accept path pays nothing for it.
    /// </summary>
    private static void ExplainMismatch(this WebhookServices services, HttpRequest request, byte[] body, ZoomOptions zoom, string? requestId)
    {
        var (inactiveName, inactive) = zoom.Inactive;
        var tokens = inactive.AcceptedSecretTokens();
        if (tokens.Count > 0 && ZoomSignature.Verify(
                Header(request, ZoomSignature.SignatureHeader),
                Header(request, ZoomSignature.TimestampHeader),
                body,
                tokens,
                services.Time.GetUtcNow(),
                zoom.Webhooks.TimestampTolerance,
                out _) == SignatureCheck.Valid)
        {
            Log.SignedByInactiveEnvironment(services.Logger, requestId, inactiveName, zoom.ActiveEnvironment);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Delivery {ZoomRequestId} is signed with the {InactiveEnvironment} Secret Token while {ActiveEnvironment} is active: the other environment's app is sending its events here")]
        public static partial void SignedByInactiveEnvironment(ILogger logger, string? zoomRequestId, string inactiveEnvironment, string activeEnvironment);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Delivery {ZoomRequestId} comes from Zoom app {ReceivedClientId}, but the active {ActiveEnvironment} environment's app is {ExpectedClientId}: likely an event from the other environment's app reaching this receiver")]
        public static partial void ClientMismatch(ILogger logger, string? zoomRequestId, string receivedClientId, string activeEnvironment, string expectedClientId);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "Could not store delivery {ZoomRequestId} ({ZoomEvent}); answering 503 so that Zoom retries")]
        public static partial void InboxUnavailable(ILogger logger, Exception exception, string? zoomRequestId, string zoomEvent);
    }
}

/// <summary>What the webhook endpoint needs, bound by minimal APIs and constructible by a unit test.</summary>
internal sealed record WebhookServices(
    IOptionsMonitor<ZoomOptions> Options,
    IInbox Inbox,
    IOptionsMonitor<InboxOptions> InboxOptions,
    DispatchSignal Signal,
    TimeProvider Time,
    ServiceMetrics Metrics,
    IZoomRequestDiagnostics Diagnostics,
    ILogger<WebhookServices> Logger);
