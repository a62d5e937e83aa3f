using MutualAssistance.Api;
using MutualAssistance.Api.Apis;
using MutualAssistance.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMutualAssistanceApi();

var app = builder.Build();
app.UseMutualAssistanceApi();
app.MapDefaultEndpoints();
app.MapRequestsApi();
app.MapAuthoritiesApi();
app.MapDeadlinesApi();
app.MapReportsApi();
await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
