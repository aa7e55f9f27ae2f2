<?php

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\Request;
use Plivo\Exceptions\PlivoValidationException;
use Plivo\Util\v3SignatureValidation;

/**
 * Lets a request through only if Plivo signed it (X-Plivo-Signature-V3):
 * 403 otherwise, before any controller code runs.
 */
class VerifyPlivoSignature
{
    // --8<-- [start:verify]
    public function handle(Request $request, Closure $next)
    {
        $authToken = config('services.plivo.auth_token');
        $signature = (string) $request->header('X-Plivo-Signature-V3');
        $nonce = (string) $request->header('X-Plivo-Signature-V3-Nonce');
        if ($authToken === '' || $signature === '' || $nonce === '') {
            abort(403);
        }

        // Plivo signed the public URL it called: PUBLIC_URL + this path (+ query).
        $method = $request->getRealMethod();
        $url = config('services.plivo.public_url').explode('?', $request->getRequestUri(), 2)[0];
        $query = $request->query->all();
        if ($method === 'GET') {
            // Plivo's parameters are the query string. The SDK does not
            // percent-decode a query it finds in the URL, so pass them decoded.
            $params = $query;
        } else {
            // The body's form fields only: $request->all() would mix in the query.
            $params = $request->request->all();
            if ($query) {
                $url .= '?'.implode('&', array_map(
                    static fn ($name, $value) => $name.'='.$value,
                    array_keys($query),
                    $query
                ));
            }
        }

        if (!$this->signedByPlivo($method, $url, $nonce, $authToken, $signature, $params)) {
            abort(403);
        }

        return $next($request);
    }

    private function signedByPlivo(string $method, string $url, string $nonce, string $authToken, string $signature, array $params): bool
    {
        // The SDK passes what it signs through utf8_encode(), which reads its
        // input as Latin-1: hand it Latin-1 so that non-ASCII values (a caller
        // name like "José") come out as the UTF-8 that Plivo signed. Values
        // with characters beyond Latin-1 cannot match with this SDK.
        $latin1 = static fn (string $text): string => mb_convert_encoding($text, 'ISO-8859-1', 'UTF-8');
        $params = array_combine(array_map($latin1, array_keys($params)), array_map($latin1, $params));

        // The SDK reads the URL's query string without checking that there is
        // one (a PHP warning, which Laravel turns into an exception) and calls
        // utf8_encode(), deprecated since PHP 8.2: silenced for this call only.
        set_error_handler(static fn (): bool => true, E_WARNING | E_DEPRECATED);
        try {
            return v3SignatureValidation::validateV3Signature($method, $url, $nonce, $authToken, $signature, $params);
        } catch (PlivoValidationException $e) {
            return false;
        } finally {
            restore_error_handler();
        }
    }
    // --8<-- [end:verify]
}
