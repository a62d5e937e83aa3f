namespace MutualAssistance.Contracts.Requests;

[Alias("ma.Urgency")]
public enum Urgency
{
    Normal = 0,
    Urgent = 1,
}
