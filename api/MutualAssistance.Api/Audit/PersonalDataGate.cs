using MutualAssistance.Api.Localization;
using Microsoft.Extensions.Options;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// What stands before an endpoint that serves or changes a request's personal data, before its handler runs (so
/// before any grain or query is asked): an auditor is refused (403: auditors read the log, never the data); the
/// purpose is read and checked (<see cref="Purpose"/>; 400 naming the field); and where the endpoint reads personal
/// data and <c>Audit:PurposeRequired</c> is true, a call without one is refused (400 naming <c>X-Purpose</c>).
/// </summary>
public sealed class PersonalDataGate(bool refusesAuditors, bool purposeRequirable) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (refusesAuditors && http.User.Actor().Role == Role.Auditor)
        {
            return ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden,
                ProblemText.AuditorsNoData);
        }

        if (Purpose.Accept(http) is { } problem)
        {
            return ProblemResults.Field(problem.Field, problem.Message);
        }

        if (purposeRequirable && Purpose.Of(http) is null
            && http.RequestServices.GetRequiredService<IOptions<AuditOptions>>().Value.RequiresPurpose)
        {
            return ProblemResults.Field(Purpose.Header,
                $"Required on this node ({AuditOptions.PurposeRequiredSetting}): say why you read this personal data, at most {Purpose.MaxLength} characters.");
        }

        return await next(context);
    }
}

/// <summary>Puts a <see cref="PersonalDataGate"/> before an endpoint or group.</summary>
public static class PersonalDataGateExtensions
{
    /// <summary>Reads personal data: no auditors; a purpose, required when the node requires one.</summary>
    public static TBuilder ReadsPersonalData<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new PersonalDataGate(refusesAuditors: true, purposeRequirable: true))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>Changes personal data and serves it back: no auditors; a purpose if given, recorded.</summary>
    public static TBuilder ChangesPersonalData<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new PersonalDataGate(refusesAuditors: true, purposeRequirable: false))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>Discloses no personal data but is logged (a report of counts): a purpose if given, recorded.</summary>
    public static TBuilder Discloses<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new PersonalDataGate(refusesAuditors: false, purposeRequirable: false)).ProducesValidationProblem();
}
