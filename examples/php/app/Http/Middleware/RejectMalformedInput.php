<?php

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\Request;

/**
 * Plivo sends its parameters as an application/x-www-form-urlencoded body
 * (POST) or query string (GET), in UTF-8, in a few kilobytes. Anything else
 * is refused before the signature is checked: 413 for a body over 64 KiB,
 * 415 for another body type, 400 for broken percent-escapes, invalid UTF-8
 * or PHP's array syntax (a[]=1).
 */
class RejectMalformedInput
{
    private const MAX_BODY_BYTES = 64 * 1024;

    public function handle(Request $request, Closure $next)
    {
        if ($request->getRealMethod() === 'POST') {
            $type = strtolower(trim(explode(';', (string) $request->headers->get('Content-Type'))[0]));
            $body = $request->getContent();
            // ValidatePostSize (app/Http/Kernel.php) stops a large Content-Length;
            // a chunked body has none, and PHP drops its fields all the same.
            if (strlen($body) > self::MAX_BODY_BYTES) {
                abort(413);
            }
            if ($type !== 'application/x-www-form-urlencoded' && !($type === '' && $body === '')) {
                abort(415);
            }
            $this->abortUnlessWellFormed($body, $request->request->all());
        }
        $this->abortUnlessWellFormed((string) $request->server('QUERY_STRING'), $request->query->all());

        return $next($request);
    }

    private function abortUnlessWellFormed(string $encoded, array $fields): void
    {
        // PHP keeps a broken escape such as %zz as literal text; Plivo never sends one.
        if (preg_match('/%(?![0-9A-Fa-f]{2})/', $encoded)) {
            abort(400);
        }
        foreach ($fields as $name => $value) {
            if (!is_string($value) || !mb_check_encoding((string) $name, 'UTF-8') || !mb_check_encoding($value, 'UTF-8')) {
                abort(400);
            }
        }
    }
}
