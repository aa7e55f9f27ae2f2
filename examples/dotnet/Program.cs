using System.Globalization;
using DialStatus;
using Microsoft.Extensions.Logging.Console;

var builder = WebApplication.CreateBuilder(args);

// ASP.NET Core's configuration includes the environment variables.
var settings = builder.Configuration;
var authToken = settings["PLIVO_AUTH_TOKEN"];
if (string.IsNullOrEmpty(authToken))
{
    return Refuse("PLIVO_AUTH_TOKEN is not set: it is needed to check Plivo's signatures");
}

var portText = Setting("PORT", "8085");
if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
{
    return Refuse($"PORT must be a number from 0 to 65535, not {portText}");
}

var publicUrl = Setting("PUBLIC_URL", $"http://127.0.0.1:{port}").TrimEnd('/');
var dialNumber = Setting("DIAL_NUMBER", "+15555550100");
var host = Setting("HOST", "127.0.0.1");

builder.WebHost.UseUrls($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);

// Standard output carries only this app's lines: the framework logs to standard error, without
// a line per request, and a failed start is reported once, below, not with a stack trace.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

var app = builder.Build();
var plivoSignature = new PlivoSignatureFilter(authToken, publicUrl);
// Any other method on these paths gets 405 from routing, before the filter runs.
app.MapMethods("/dialstatus/", ["GET", "POST"], Answer).AddEndpointFilter(plivoSignature);
app.MapMethods("/dialstatus/action/", ["GET", "POST"], DialAction).AddEndpointFilter(plivoSignature);

try
{
    app.Run();
}
catch (IOException e)
{
    return Refuse(e.Message); // such as a port that is taken
}

return 0;

// --8<-- [start:answer]
IResult Answer(HttpContext context)
{
    var call = PlivoSignatureFilter.Fields(context);
    var status = call.GetValueOrDefault("CallStatus", "");
    if (status is not ("" or "ringing" or "in-progress"))
    {
        // The hangup request: the call has ended.
        StdoutLog.Line(
            "call-hangup call={0} status={1} hangup_cause={2} duration={3}",
            call.GetValueOrDefault("CallUUID"),
            status,
            call.GetValueOrDefault("HangupCause"),
            call.GetValueOrDefault("Duration"));
        return PlivoXml(new Plivo.XML.Response());
    }

    var dial = new Plivo.XML.Dial(new Dictionary<string, string>
    {
        { "action", EscapeAmpersands(publicUrl + "/dialstatus/action/") },
        { "method", "POST" },
        { "redirect", "true" },
    });

    // The attribute dictionary is required: null makes AddNumber throw.
    dial.AddNumber(EscapeAmpersands(dialNumber), new Dictionary<string, string>());
    var response = new Plivo.XML.Response();
    response.Add(dial);
    return PlivoXml(response);
}
// --8<-- [end:answer]

// --8<-- [start:action]
IResult DialAction(HttpContext context)
{
    var dial = PlivoSignatureFilter.Fields(context);
    var status = dial.GetValueOrDefault("DialStatus", "");
    if (status.Length == 0)
    {
        return Results.Text("DialStatus is missing\n", "text/plain", statusCode: StatusCodes.Status400BadRequest);
    }

    StdoutLog.Line(
        "dial-status status={0} aleg={1} bleg={2} hangup_cause={3} rang={4}",
        status,
        dial.GetValueOrDefault("DialALegUUID"),
        dial.GetValueOrDefault("DialBLegUUID"),
        dial.GetValueOrDefault("DialHangupCause"),
        dial.GetValueOrDefault("DialRingStatus"));

    // redirect="true": Plivo runs this reply. An empty <Response/> ends the call; any other
    // status, including one Plivo adds later, means the callee was not reached.
    var response = new Plivo.XML.Response();
    if (status != "completed")
    {
        response.AddSpeak(
            "Sorry, the person you are calling could not be reached. Goodbye.",
            new Dictionary<string, string>());
    }

    return PlivoXml(response);
}
// --8<-- [end:action]

string Setting(string name, string fallback) => settings[name] is { Length: > 0 } value ? value : fallback;

// ToString() turns every "&amp;" of its output back into "&", leaving a bare "&" that is not
// XML; escaping "&" once more beforehand makes that round trip end at "&amp;".
static string EscapeAmpersands(string value) => value.Replace("&", "&amp;");

// ToString() indents its XML; Plivo ignores the whitespace between elements.
static IResult PlivoXml(Plivo.XML.Response response) => Results.Content(response.ToString(), "application/xml");

static int Refuse(string message)
{
    Console.Error.WriteLine($"dialstatus: {message}");
    return 1;
}
