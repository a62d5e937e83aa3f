namespace MutualAssistance.Api.Requests;

/// <summary>
/// Marks the routes whose <c>{id}</c> is a request's id (<c>/api/requests/...</c>), unlike a webhook's
/// (<c>/api/webhooks/{id}</c>): the consultation log names a request only from these.
/// </summary>
public sealed class RequestRoute
{
    private static readonly RequestRoute Marker = new();

    private RequestRoute()
    {
    }

    /// <summary>The request this call names, or null when its route names none (or another kind of id).</summary>
    public static Guid? IdOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<RequestRoute>() is not null && Guid.TryParse(http.GetRouteValue("id") as string, out var id)
            ? id
            : null;

    /// <summary>Marks every route of <paramref name="builder"/> as one whose <c>{id}</c> is a request's.</summary>
    public static TBuilder On<TBuilder>(TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(Marker);
}
