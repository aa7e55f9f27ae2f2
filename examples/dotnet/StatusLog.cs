using System.Text;

namespace DialStatus;

/// <summary>
/// Writes the dial-status lines to standard output, each one whole and flushed at once.
/// </summary>
public sealed class StatusLog
{
    private readonly TextWriter _output;

    private StatusLog(TextWriter output) => _output = output;

    /// <summary>
    /// Opens standard output directly rather than through Console.Out, which Program.cs switches
    /// off because the Plivo SDK writes to it.
    /// </summary>
    public static StatusLog ToStandardOutput()
    {
        var writer = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false))
        {
            AutoFlush = true,
        };

        // Synchronized: requests run concurrently, and two lines must never interleave.
        return new StatusLog(TextWriter.Synchronized(writer));
    }

    public void WriteLine(string line) => _output.WriteLine(line);
}
