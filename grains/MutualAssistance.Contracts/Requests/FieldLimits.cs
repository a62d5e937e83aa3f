namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// The most each field of a filing or an action takes (characters for text, entries for lists, days for an
/// extension): stated here once, in the contract, because both sides of it need the numbers. The grains' checks
/// (<c>FilingRules</c>, the request's actions) refuse past them, and <c>/api/reference</c> hands them to the page,
/// whose forms cap their inputs with them instead of numbers of their own (issue 23, 'each rule stated once').
/// </summary>
public static class FieldLimits
{
    public const int Subject = 500;
    public const int Summary = 20_000;

    /// <summary>The short free-text fields: treaty, references, a person's name, role and nationality, where an order was served.</summary>
    public const int ShortText = 200;

    /// <summary>A language tag (BCP 47 allows up to 35 characters).</summary>
    public const int Language = 35;

    public const int Persons = 200;
    public const int Related = 100;

    /// <summary>An action's free text: reason, grounds, note, a filing's reasons for its requested-by date, the requested side's reference; and the cap on the code of the authority forwarded to (checked against the directory besides).</summary>
    public const int ActionText = 2000;

    /// <summary>The most days one extension may ask for, whatever the policy's own caps.</summary>
    public const int ExtensionDays = 365;
}
