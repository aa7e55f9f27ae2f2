using System.Globalization;
using DialStatus;
using Microsoft.Extensions.Logging.Console;

var authToken = Environment.GetEnvironmentVariable("PLIVO_AUTH_TOKEN");
if (string.IsNullOrEmpty(authToken))
{
    return Refuse(
        "PLIVO_AUTH_TOKEN is not set. It is your Plivo auth token, needed to check that requests come from Plivo; "
        + "set it and start again.");
}

var host = EnvironmentOrDefault("HOST", "127.0.0.1");
var portText = EnvironmentOrDefault("PORT", "8085");
if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
{
    return Refuse($"PORT must be a number from 1 to 65535, not \"{portText}\".");
}

var publicUrl = EnvironmentOrDefault("PUBLIC_URL", $"http://127.0.0.1:{port}").TrimEnd('/');
if (!IsBaseUrl(publicUrl))
{
    return Refuse(
        $"PUBLIC_URL must be an http or https URL without a query string or fragment, not \"{publicUrl}\".");
}

var dialNumber = EnvironmentOrDefault("DIAL_NUMBER", "+15555550100");

var builder = WebApplication.CreateBuilder(args);

// Standard output is kept for the dial-status lines: the framework's own logs go to standard
// error, and its per-request logs are left out.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

// Plivo's form posts are small. A larger body makes reading the form fail with 413.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);

builder.Services.AddControllers();
builder.Services.AddSingleton(new DialStatusSettings(authToken, publicUrl, dialNumber));
builder.Services.AddSingleton(StatusLog.ToStandardOutput());

var app = builder.Build();
var listenHost = host.Contains(':') ? $"[{host}]" : host;
app.Urls.Add($"http://{listenHost}:{port}");
app.MapControllers();

// Plivo.Utilities.XPlivoSignatureV3 writes what it computes to Console.Out on every call: the
// signature it expected, even for a forged request (so whoever reads the log can make that request
// pass), and for a GET every query parameter, raw, line breaks included (so a caller could print a
// fake dial-status line). Nothing else here writes to Console.Out (StatusLog opens standard output
// itself), so it is switched off once, before the first request; switching it off around each
// call instead would race between concurrent requests.
Console.SetOut(TextWriter.Null);

app.Run();
return 0;

static string EnvironmentOrDefault(string name, string fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

// PUBLIC_URL is a base to which paths are appended, so a query string or fragment has no place in
// it, and allowing only URL characters keeps quotes and angle brackets out of the XML attribute.
static bool IsBaseUrl(string url) =>
    Uri.TryCreate(url, UriKind.Absolute, out var uri)
    && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
    && url.All(c => char.IsAsciiLetterOrDigit(c) || "-._~:/[]@!$&'()*+,;=%".Contains(c));

static int Refuse(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}
