using System.Reflection;

namespace MutualAssistance.ReadSide;

/// <summary>The assembly that carries the read model's migrations (Schema/*.sql), for the silo's migrator.</summary>
public static class ReadSideSchema
{
    public static Assembly Assembly => typeof(ReadSideSchema).Assembly;
}
