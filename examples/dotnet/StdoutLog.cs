using System.Globalization;
using System.Text;

namespace DialStatus;

/// <summary>
/// The app's log lines on standard output: each whole, in one write, flushed at once.
/// </summary>
public static class StdoutLog
{
    // UTF-8 whatever the locale, and synchronized: requests run concurrently.
    private static readonly TextWriter Output = TextWriter.Synchronized(
        new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true });

    /// <summary>Writes <paramref name="format"/> with each value passed through LogSafe.</summary>
    public static void Line(string format, params string?[] values)
    {
        var line = string.Format(CultureInfo.InvariantCulture, format, values.Select(LogSafe).ToArray<object>());
        Output.Write(line + "\n");
    }

    /// <summary>
    /// Replaces spaces, controls and Unicode line breaks with "_", so that a value can neither
    /// end the line nor pass for another field.
    /// </summary>
    public static string LogSafe(string? value) =>
        new((value ?? "").Select(c => IsUnsafe(c) ? '_' : c).ToArray());

    private static bool IsUnsafe(char c) => c <= ' ' || c is >= '\u007f' and <= '\u009f' or '\u2028' or '\u2029';
}
