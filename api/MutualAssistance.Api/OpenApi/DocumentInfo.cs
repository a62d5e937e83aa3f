using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MutualAssistance.Api.OpenApi;

/// <summary>What the document says of the API as a whole, and of each tag its operations are grouped under.</summary>
public sealed class DocumentInfo : IOpenApiDocumentTransformer
{
    /// <summary>The address <c>./run.sh</c> serves the API at.</summary>
    public const string DevelopmentServer = "http://127.0.0.1:5080";

    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Requests"] = "Mutual legal assistance requests: file, read, act, history, erasure. A caller sees the requests of its own authority.",
        ["Deadlines"] = "The deadline board of the caller's authority, and its change stream.",
        ["Reports"] = "Counts of deadlines breached, per partner, legal basis and clock.",
        ["Authorities"] = "The directory of central authorities, their calendars, and closures a state declares.",
        ["Audit"] = "The node's consultation and disclosure log, for auditors.",
        ["Webhooks"] = "An authority's webhooks (Standard Webhooks, signed): subscriptions and their deliveries, for its admins.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MutualAssistance API",
            Version = "v1",
            Description = "Tracks mutual legal assistance requests between central authorities: their lifecycle, deadline clocks "
                + "and escalations. Errors are RFC 9457 problem details; a validation problem names the fields in `errors`. "
                + "Writes take If-Match (actions) or Idempotency-Key (filings), so that a retry never applies twice.",
            License = new OpenApiLicense { Name = "Proprietary: the operating state's", Url = new Uri("https://www.sectsco.org/") },
        };
        // One fixed server rather than the address the document was asked at, so that the document (and a client
        // generated from it) is the same wherever it is served; a client names its node's address itself.
        document.Servers =
        [
            new OpenApiServer { Url = DevelopmentServer, Description = "A node started by ./run.sh; in production, your node's own address." },
        ];

        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        return Task.CompletedTask;
    }
}
