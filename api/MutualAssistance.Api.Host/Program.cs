using MutualAssistance.Api;
using MutualAssistance.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMutualAssistanceApi();

var app = builder.Build();
app.UseMutualAssistanceApi();
app.MapDefaultEndpoints();
app.MapMutualAssistanceApi();
await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
