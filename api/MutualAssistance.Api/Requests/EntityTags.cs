using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace MutualAssistance.Api.Requests;

/// <summary>Strong entity tags made from a request's version: <c>"7"</c>.</summary>
public static class EntityTags
{
    public static string Of(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Whether an If-None-Match header names the current version (or is <c>*</c>).</summary>
    public static bool Matches(string? ifNoneMatch, int version) =>
        !string.IsNullOrEmpty(ifNoneMatch)
        && EntityTagHeaderValue.TryParseList([ifNoneMatch], out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag == Of(version)));

    /// <summary>Whether an If-None-Match header names <paramref name="etag"/> among its entity tags.</summary>
    public static bool Names(string? ifNoneMatch, string etag) =>
        !string.IsNullOrEmpty(ifNoneMatch)
        && EntityTagHeaderValue.TryParseList([ifNoneMatch], out var tags)
        && tags.Any(t => t.ToString() == etag);

    /// <summary>
    /// The version named by an If-Match header: a number, <c>null</c> for <c>*</c> (which actions refuse); false when unreadable.
    /// </summary>
    public static bool TryReadIfMatch(string ifMatch, out int? version)
    {
        version = null;
        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags) || tags.Count != 1)
        {
            return false;
        }

        if (tags[0].Equals(EntityTagHeaderValue.Any))
        {
            return true;
        }

        if (!tags[0].IsWeak && int.TryParse(tags[0].Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        return false;
    }
}
