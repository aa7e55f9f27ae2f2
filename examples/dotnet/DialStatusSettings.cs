namespace DialStatus;

/// <summary>
/// The configuration Program.cs reads from the environment at start-up.
/// </summary>
/// <remarks>
/// A class rather than a record, so that no generated ToString() ever prints the auth token.
/// </remarks>
public sealed class DialStatusSettings(string authToken, string publicUrl, string dialNumber)
{
    /// <summary>The Plivo auth token, used only to check request signatures.</summary>
    public string AuthToken { get; } = authToken;

    /// <summary>The base URL at which Plivo reaches this server, without a trailing slash.</summary>
    public string PublicUrl { get; } = publicUrl;

    /// <summary>The number the answer XML dials.</summary>
    public string DialNumber { get; } = dialNumber;
}
