namespace MutualAssistance.IdentityProvider;

/// <summary>
/// A person one can sign in as, from the users file: the token's subject (<see cref="Id"/>), the name shown on the
/// page, the authority they act for (<c>authority</c> claim; absent only for a user the API must refuse) and their
/// role (<c>role</c> claim, the API's wire name: filer, handler, supervisor, viewer, admin, auditor).
/// </summary>
public sealed record SeededUser(string Id, string Name, string? Authority, string Role);
