using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MutualAssistance.Api.OpenApi;

/// <summary>
/// The document's bearer scheme (a JWT from the node's OpenID Connect provider, or a <c>dotnet user-jwts</c> token in
/// development) required by every operation, as the API's fallback policy requires it; an endpoint that allows
/// anonymous callers says so with an empty requirement. The one place the document learns who may call what is the
/// endpoints' own authorization metadata.
/// </summary>
public sealed class BearerSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token with the claims `sub`, `authority` (the caller's central authority) and `role` "
                + "(filer, handler, supervisor, viewer, admin, auditor).",
        };
        document.Security = [Requirement(document)];
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        operation.Security = anonymous ? [new OpenApiSecurityRequirement()] : [Requirement(context.Document)];
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] };
}
