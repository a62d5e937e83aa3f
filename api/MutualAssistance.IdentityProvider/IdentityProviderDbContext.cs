using Microsoft.EntityFrameworkCore;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// OpenIddict's store (applications, authorizations, tokens), in memory (<see cref="InMemoryStore"/>). Chosen over the
/// degraded mode because OpenIddict itself then checks the client and its redirect URIs, redeems an authorization code
/// or refresh token once and revokes its whole family when one is used again; degraded mode would leave each of those
/// to code of ours. A
/// development provider loses nothing that matters on a restart: codes and refresh tokens die with it (the page signs
/// in again), while access tokens stay valid because they are JWTs signed with the kept key.
/// </summary>
public sealed class IdentityProviderDbContext(DbContextOptions<IdentityProviderDbContext> options) : DbContext(options);
