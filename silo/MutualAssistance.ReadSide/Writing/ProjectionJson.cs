using System.Text.Json;
using MutualAssistance.Contracts;
using MutualAssistance.Domain.ReadModel;

namespace MutualAssistance.ReadSide.Writing;

/// <summary>Projections as the SQL function readmodel_apply reads them: camelCase, kebab-case enum values (as the API shows them).</summary>
public static class ProjectionJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { WireNames.Converter() },
    };

    public static string Batch(IEnumerable<RequestProjection> projections) => JsonSerializer.Serialize(projections, Options);

    public static string One(RequestProjection projection) => JsonSerializer.Serialize(projection, Options);
}
