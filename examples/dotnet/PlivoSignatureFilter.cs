using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace DialStatus;

// --8<-- [start:verify]
/// <summary>
/// Checks Plivo's X-Plivo-Signature-V3 before either webhook runs, and hands the webhook the
/// request's parameters: the form body for POST, the query string for GET.
/// </summary>
/// <remarks>
/// The V3 HMAC is computed here: Plivo 5.53.0's XPlivoSignatureV3.VerifySignature rebuilds the
/// URL from System.Uri.Host, which has no port, while Plivo signs the port; it also writes the
/// signature it expects to Console.Out on every call and throws on a repeated query key.
/// </remarks>
public sealed class PlivoSignatureFilter(string authToken, string publicUrl) : IEndpointFilter
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(authToken);

    /// <summary>The parameters of a request that passed; a repeated key keeps its first value.</summary>
    public static Dictionary<string, string> Fields(HttpContext context) =>
        (Dictionary<string, string>)context.Items[typeof(PlivoSignatureFilter)]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var isPost = HttpMethods.IsPost(request.Method);
        var query = Pairs(request.Query);
        var body = new List<KeyValuePair<string, string>>();
        var contentType = request.ContentType ?? "";
        if (isPost && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                body = Pairs(await request.ReadFormAsync());
            }
            catch (BadHttpRequestException e)
            {
                // A body over Kestrel's MaxRequestBodySize (Program.cs) arrives here as 413.
                return Results.Text("unreadable request body\n", "text/plain", statusCode: e.StatusCode);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // Over ASP.NET Core's form limits (fields, key length), or a connection cut short.
                var message = "unreadable form body\n";
                return Results.Text(message, "text/plain", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        // Plivo signs the URL it called: PUBLIC_URL, the path and the query, not the Host header.
        var url = publicUrl + request.Path.ToUriComponent();
        var signatures = request.Headers["X-Plivo-Signature-V3"].ToString();
        var nonce = request.Headers["X-Plivo-Signature-V3-Nonce"].ToString();
        string? reason = null;
        if (signatures.Length == 0 || nonce.Length == 0)
        {
            reason = "no-signature";
        }
        else if (!Matches(signatures, Signed(isPost, url, query, body) + "." + nonce))
        {
            reason = "bad-signature";
        }

        if (reason is not null)
        {
            StdoutLog.Line("request-refused reason={0} url={1}", reason, url + request.QueryString.Value);
            var message = "missing or invalid X-Plivo-Signature-V3\n";
            return Results.Text(message, "text/plain", statusCode: StatusCodes.Status403Forbidden);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in isPost ? body : query)
        {
            fields.TryAdd(key, value);
        }

        context.HttpContext.Items[typeof(PlivoSignatureFilter)] = fields;
        return await next(context);
    }

    /// <summary>What Plivo signs before "." and the nonce, from the decoded query and body fields.</summary>
    private static string Signed(
        bool isPost, string url, List<KeyValuePair<string, string>> query, List<KeyValuePair<string, string>> body)
    {
        var sortedQuery = string.Join("&", Sorted(query).Select(pair => $"{pair.Key}={pair.Value}"));
        if (!isPost || body.Count == 0)
        {
            return sortedQuery.Length == 0 ? url : $"{url}?{sortedQuery}";
        }

        var sortedBody = string.Concat(Sorted(body).Select(pair => pair.Key + pair.Value));
        return sortedQuery.Length == 0 ? $"{url}?{sortedBody}" : $"{url}?{sortedQuery}.{sortedBody}";
    }

    /// <summary>True when one of the comma-separated signatures matches, compared in constant time.</summary>
    private bool Matches(string signatures, string message)
    {
        var digest = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(message));
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(digest));
        return signatures
            .Split(',')
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), expected));
    }

    private static IEnumerable<KeyValuePair<string, string>> Sorted(List<KeyValuePair<string, string>> pairs) =>
        pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal).ThenBy(pair => pair.Value, StringComparer.Ordinal);

    // Every value of a repeated key, in order: Plivo signs them all.
    private static List<KeyValuePair<string, string>> Pairs(IEnumerable<KeyValuePair<string, StringValues>> source) =>
        source.SelectMany(pair => pair.Value.Select(value => KeyValuePair.Create(pair.Key, value ?? ""))).ToList();
}
// --8<-- [end:verify]
