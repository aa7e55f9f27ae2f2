using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Plivo.Utilities;

namespace DialStatus.Controllers;

/// <summary>
/// Plivo's answer URL, /dialstatus/, and the Dial action URL, /dialstatus/action/.
/// </summary>
/// <remarks>
/// Both actions accept GET and POST only. Endpoint routing answers any other method with 405
/// before an action runs, so before any signature check.
/// </remarks>
[Route("dialstatus")]
public sealed class DialStatusController(DialStatusSettings settings, StatusLog statusLog) : ControllerBase
{
    // --8<-- [start:answer]
    [AcceptVerbs("GET", "POST")]
    public async Task<IActionResult> Answer()
    {
        var (_, rejection) = await ReadSignedParametersAsync();
        if (rejection is not null)
        {
            return rejection;
        }

        // Plivo.XML.Response in full: inside a controller, plain "Response" is the HTTP response.
        var response = new Plivo.XML.Response();
        var dial = new Plivo.XML.Dial(new Dictionary<string, string>
        {
            { "action", EscapeAmpersands(settings.PublicUrl + "/dialstatus/action/") },
            { "method", "POST" },
            { "redirect", "true" },
        });

        // The attribute dictionary is required: null makes AddNumber throw.
        dial.AddNumber(EscapeAmpersands(settings.DialNumber), new Dictionary<string, string>());
        response.Add(dial);
        return PlivoXml(response);
    }
    // --8<-- [end:answer]

    // --8<-- [start:action]
    [AcceptVerbs("GET", "POST", Route = "action")]
    public async Task<IActionResult> DialAction()
    {
        var (parameters, rejection) = await ReadSignedParametersAsync();
        if (rejection is not null)
        {
            return rejection;
        }

        var status = parameters.GetValueOrDefault("DialStatus", "");
        if (status.Length == 0)
        {
            return PlainText(StatusCodes.Status400BadRequest, "DialStatus is missing");
        }

        var aLeg = ForLog(parameters.GetValueOrDefault("DialALegUUID", ""));
        var bLeg = ForLog(parameters.GetValueOrDefault("DialBLegUUID", ""));
        var hangupCause = ForLog(parameters.GetValueOrDefault("DialHangupCause", ""));
        var rang = ForLog(parameters.GetValueOrDefault("DialRingStatus", ""));
        statusLog.WriteLine(
            $"dial-status status={ForLog(status)} aleg={aLeg} bleg={bLeg} hangup_cause={hangupCause} rang={rang}");

        // With redirect="true" Plivo carries on with the XML returned here. An empty <Response/>
        // ends a call that was answered and finished normally. Every other status, including
        // any value Plivo adds later, means the callee was not reached.
        var response = new Plivo.XML.Response();
        if (status != "completed")
        {
            response.AddSpeak(
                "Sorry, the person you called could not be reached. Goodbye.",
                new Dictionary<string, string>());
        }

        return PlivoXml(response);
    }
    // --8<-- [end:action]

    // --8<-- [start:verify]
    /// <summary>
    /// Reads Plivo's parameters (the form body of a POST, the query string of a GET) and checks
    /// X-Plivo-Signature-V3 over them. A request that fails gets a rejection to return instead.
    /// </summary>
    private async Task<(Dictionary<string, string> Parameters, IActionResult? Rejection)> ReadSignedParametersAsync()
    {
        var isPost = HttpMethods.IsPost(Request.Method);
        Dictionary<string, string> parameters;
        if (isPost)
        {
            var (form, failure) = await ReadFormBodyAsync();
            if (form is null)
            {
                return (new Dictionary<string, string>(), failure);
            }

            parameters = form;
        }
        else
        {
            parameters = FirstValues(Request.Query);
        }

        var signature = Request.Headers["X-Plivo-Signature-V3"].ToString();
        var nonce = Request.Headers["X-Plivo-Signature-V3-Nonce"].ToString();
        if (signature.Length == 0 || nonce.Length == 0 || !IsSignedByPlivo(isPost, parameters, signature, nonce))
        {
            return (parameters, PlainText(StatusCodes.Status403Forbidden, "missing or invalid X-Plivo-Signature-V3"));
        }

        return (parameters, null);
    }

    private bool IsSignedByPlivo(bool isPost, Dictionary<string, string> parameters, string signature, string nonce)
    {
        // The URL Plivo requested is PUBLIC_URL plus the path: the Host header and scheme seen
        // here are those of the tunnel or proxy in between, not the ones Plivo signed.
        var urlWithoutQuery = settings.PublicUrl + Request.Path.ToUriComponent();

        if (!SdkKeepsUrl(urlWithoutQuery))
        {
            // Typically a port, as in http://127.0.0.1:8085 while testing: see FullUrlSignatureV3.
            return FullUrlSignatureV3.IsValid(
                urlWithoutQuery,
                isPost ? FirstValues(Request.Query) : parameters,
                isPost ? parameters : new Dictionary<string, string>(),
                nonce,
                signature,
                settings.AuthToken);
        }

        // For a POST the parameters are the body fields and the URL keeps its query string. For a
        // GET, Plivo's parameters are the query string; the SDK gets them as a dictionary, decoded
        // by ASP.NET Core, and the URL without them, which signs the same string. Left in the URL,
        // they would be decoded by the SDK before it splits them, garbling any value that holds an
        // encoded "&" or "=", or a "+" for a space.
        var url = isPost ? urlWithoutQuery + Request.QueryString.Value : urlWithoutQuery;
        var method = isPost ? "POST" : "GET";
        try
        {
            // Named arguments: SDK releases differ in the order of the last two parameters
            // (method, parameters) and these names are the same in all of them.
            return XPlivoSignatureV3.VerifySignature(
                uri: url,
                nonce: nonce,
                xPlivoSignature: signature,
                authToken: settings.AuthToken,
                method: method,
                parameters: parameters);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // A URL or parameter set the SDK cannot even read is not one Plivo signed.
            return false;
        }
    }

    // XPlivoSignatureV3 signs scheme://host/path rebuilt from System.Uri; true when that is the URL.
    private static bool SdkKeepsUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && $"{uri.Scheme}://{uri.Host}{uri.LocalPath}" == url;
    // --8<-- [end:verify]

    /// <summary>
    /// The form fields of the body, never the query string. Null with a failure (400, 413 or 415)
    /// when the body is not a readable form.
    /// </summary>
    private async Task<(Dictionary<string, string>? Form, IActionResult? Failure)> ReadFormBodyAsync()
    {
        // No Content-Length and no chunked body: a POST without parameters.
        if (HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return (new Dictionary<string, string>(), null);
        }

        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var message = "expected an application/x-www-form-urlencoded body";
            return (null, PlainText(StatusCodes.Status415UnsupportedMediaType, message));
        }

        try
        {
            return (FirstValues(await Request.ReadFormAsync()), null);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's MaxRequestBodySize (Program.cs) arrives here as 413.
            var status = e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest;
            return (null, PlainText(status, "unreadable request body"));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // FormOptions limits (too many fields, a key too long) or a connection cut mid-body.
            return (null, PlainText(StatusCodes.Status400BadRequest, "unreadable form body"));
        }
    }

    // Plivo sends each parameter once. Of a repeated one only the first value is kept, for the
    // signature check and for use alike, so the check covers exactly what is used.
    private static Dictionary<string, string> FirstValues(IEnumerable<KeyValuePair<string, StringValues>> source) =>
        source.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Count > 0 ? pair.Value[0] ?? "" : "",
            StringComparer.Ordinal);

    // Plivo.XML's ToString() turns every "&amp;" in its output back into "&" (so that the
    // "&#233;"-style references it writes for non-ASCII text survive the XML escaping), which
    // leaves a bare "&": not XML. Escaping "&" once more beforehand makes that round trip end
    // at "&amp;".
    private static string EscapeAmpersands(string value) => value.Replace("&", "&amp;");

    // Space, the C0 controls (CR and LF among them) and U+007F to U+009F become "_", so a value
    // can neither end the line nor pass for another field.
    private static string ForLog(string value) =>
        new string(value.Select(c => c <= ' ' || c is >= '\u007f' and <= '\u009f' ? '_' : c).ToArray());

    // ToString() indents its XML; Plivo ignores the whitespace between elements.
    private ContentResult PlivoXml(Plivo.XML.Response response) => Content(response.ToString(), "application/xml");

    private static ContentResult PlainText(int statusCode, string message) =>
        new() { StatusCode = statusCode, Content = message + "\n", ContentType = "text/plain; charset=utf-8" };
}
