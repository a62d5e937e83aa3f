namespace MutualAssistance.Contracts.Authorities;

/// <summary>What became of a closure's declaration or removal.</summary>
[Alias("ma.ClosureOutcome")]
public enum ClosureOutcome
{
    /// <summary>The closure is now declared (or its reason changed); open clocks are being recalculated.</summary>
    Declared = 0,

    /// <summary>The same closure with the same reason was declared before; nothing changed.</summary>
    Unchanged = 1,

    /// <summary>The closure was removed; open clocks are being recalculated.</summary>
    Removed = 2,

    /// <summary>No closure is declared on that day; nothing changed.</summary>
    NotDeclared = 3,

    /// <summary>The caller may not change this state's calendar; nothing changed.</summary>
    Forbidden = 4,

    /// <summary>The date or the reason breaks a rule (<see cref="ClosureResult.Errors"/>); nothing changed.</summary>
    Invalid = 5,
}
