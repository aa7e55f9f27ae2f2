using System.Security.Cryptography;
using System.Text;

namespace DialStatus;

/// <summary>
/// Plivo's V3 signature check over the URL exactly as given, port included.
/// </summary>
/// <remarks>
/// Plivo.Utilities.XPlivoSignatureV3 rebuilds the URL as scheme://host/path from System.Uri, whose
/// Host has no port, so for a URL such as http://127.0.0.1:8085/dialstatus/ it signs a different
/// string than Plivo did and rejects every request. The controller uses this class only for URLs
/// the SDK would change that way. The steps are the SDK's: the URL without its query; then, if
/// there are query parameters, "?" and them sorted by name as name=value joined by "&amp;"; then,
/// if there are body parameters, "." (or "?" when there was no query) and them sorted by name as
/// namevalue with no separator; then "." and the nonce; HMAC-SHA256 keyed by the auth token;
/// Base64.
/// </remarks>
internal static class FullUrlSignatureV3
{
    public static bool IsValid(
        string urlWithoutQuery,
        IReadOnlyDictionary<string, string> queryParameters,
        IReadOnlyDictionary<string, string> bodyParameters,
        string nonce,
        string signatureHeader,
        string authToken)
    {
        var message = BaseString(urlWithoutQuery, queryParameters, bodyParameters) + "." + nonce;
        var digest = HMACSHA256.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(message));
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(digest));

        // As in the SDK: the header may hold several signatures separated by commas, and one
        // match is enough.
        return signatureHeader
            .Split(',')
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), expected));
    }

    private static string BaseString(
        string urlWithoutQuery,
        IReadOnlyDictionary<string, string> queryParameters,
        IReadOnlyDictionary<string, string> bodyParameters)
    {
        var query = string.Join("&", SortedByName(queryParameters).Select(pair => $"{pair.Key}={pair.Value}"));
        if (bodyParameters.Count == 0)
        {
            return query.Length == 0 ? urlWithoutQuery : $"{urlWithoutQuery}?{query}";
        }

        var body = string.Concat(SortedByName(bodyParameters).Select(pair => pair.Key + pair.Value));
        return query.Length == 0 ? $"{urlWithoutQuery}?{body}" : $"{urlWithoutQuery}?{query}.{body}";
    }

    private static IEnumerable<KeyValuePair<string, string>> SortedByName(
        IReadOnlyDictionary<string, string> parameters) =>
        parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal);
}
