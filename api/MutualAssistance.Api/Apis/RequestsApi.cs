using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MutualAssistance.Api.Requests;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Apis;

/// <summary><c>/api/requests</c>: file a request and read one. Writes and single reads go to the request's grain.</summary>
public static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/requests").WithTags("Requests");
        api.MapPost("/", FileRequest)
            .WithName("FileRequest")
            .Accepts<FileRequestBody>("application/json")
            .ProducesValidationProblem();
        api.MapGet("/{id:guid}", GetRequest).WithName("GetRequest");
        return api;
    }

    public static async Task<Results<Created<AssistanceRequestView>, ValidationProblem>> FileRequest(
        HttpRequest http, IClusterClient cluster, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time)
    {
        FileRequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<FileRequestBody>(http.Body, json.Value.SerializerOptions, http.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = ["Malformed JSON or a value of the wrong type or out of the allowed set."] });
        }

        if (body is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Required: a JSON object."] });
        }

        if (!FileRequestValidation.TryValidate(body, time.GetUtcNow(), out var request, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Until authentication arrives (the API issue) the filer acts for the requesting authority.
        var actor = new Actor { Subject = "anonymous", Authority = request!.RequestingAuthority, Role = "filer" };
        var id = Guid.CreateVersion7(time.GetUtcNow());
        try
        {
            var result = await cluster.GetGrain<IAssistanceRequestGrain>(id).File(request, actor);
            return TypedResults.Created($"/api/requests/{id}", result.Request);
        }
        catch (RequestRuleException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] });
        }
    }

    public static async Task<Results<Ok<AssistanceRequestView>, NotFound>> GetRequest(Guid id, IClusterClient cluster)
    {
        var request = await cluster.GetGrain<IAssistanceRequestGrain>(id).Get(null);
        return request is null ? TypedResults.NotFound() : TypedResults.Ok(request);
    }
}
