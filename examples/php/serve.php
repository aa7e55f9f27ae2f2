<?php

/*
 * Starts this app on PHP's built-in web server: `php serve.php`.
 *
 * Reads the configuration as the app does (environment variables, or a .env
 * file), refuses to start without PLIVO_AUTH_TOKEN, then runs
 *   php -S HOST:PORT -t public public/index.php
 * with the settings the webhooks rely on. HOST defaults to 127.0.0.1 and PORT
 * to 8084. The built-in server handles one request at a time and is meant for
 * development: in production, serve public/ with PHP-FPM behind nginx or Apache.
 */

function refuse(string $why): void
{
    fwrite(STDERR, "Not starting: $why\n");
    exit(1);
}

require __DIR__.'/bootstrap/autoload.php';
if (!class_exists(Illuminate\Foundation\Application::class)) {
    refuse('Laravel is not installed: run `composer install`.');
}
if (!class_exists(Plivo\XML\Response::class)) {
    refuse("Plivo's PHP SDK (plivo/php-sdk) is not installed: run `composer install`.");
}

$app = require __DIR__.'/bootstrap/app.php';
$app->make(Illuminate\Contracts\Http\Kernel::class)->bootstrap();

if (config('services.plivo.auth_token') === '') {
    refuse('PLIVO_AUTH_TOKEN is not set. Set it to your Plivo auth token; '
        .'every webhook is checked against it.');
}
if (!preg_match('#^https?://[^/?\#]+(/[^?\#]*)?$#', config('services.plivo.public_url'))) {
    refuse('PUBLIC_URL must be an http(s) URL without a query string, not "'.env('PUBLIC_URL').'".');
}
$host = (string) (env('HOST') ?: '127.0.0.1');
$port = (string) (env('PORT') ?: '8084');
if (!ctype_digit($port) || (int) $port < 1 || (int) $port > 65535) {
    refuse("PORT must be a number from 1 to 65535, not \"$port\".");
}

$arguments = [
    // A startup warning (a body over post_max_size, say) goes to the log,
    // not into the response ahead of its headers.
    '-d', 'display_errors=0',
    '-d', 'expose_php=0',
    // Plivo's parameters fit in a few kilobytes. Above this, PHP leaves the
    // form fields empty and Laravel's ValidatePostSize answers 413.
    '-d', 'post_max_size=64K',
    '-S', strpos($host, ':') !== false ? "[$host]:$port" : "$host:$port",
    '-t', __DIR__.'/public',
    __DIR__.'/public/index.php',
];

if (function_exists('pcntl_exec')) {
    // Become the server, so that signals (Ctrl-C, SIGTERM) reach it directly.
    pcntl_exec(PHP_BINARY, $arguments);
    refuse('could not run '.PHP_BINARY);
}
$server = proc_open(array_merge([PHP_BINARY], $arguments), [STDIN, STDOUT, STDERR], $pipes);
exit($server === false ? 1 : proc_close($server));
