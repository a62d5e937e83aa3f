namespace MutualAssistance.Api.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (README, "OpenAPI"): built from the endpoints' own metadata (routes,
/// typed results, problem responses, header parameters, summaries), plus the bearer scheme and the document's info.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddMutualAssistanceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddDocumentTransformer<BearerSecurity>();
            options.AddOperationTransformer<BearerSecurity>();
        });
}
