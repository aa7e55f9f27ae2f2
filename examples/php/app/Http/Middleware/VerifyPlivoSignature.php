<?php

namespace Plivo\Util {
    // plivo/php-sdk 4.70 passes the signed text through utf8_encode(), which
    // garbles every non-ASCII character Plivo signed (a caller name like
    // "José"): this one function in the SDK's namespace comes first and keeps
    // the text as it is.
    function utf8_encode(string $text): string
    {
        return $text;
    }
}

namespace App\Http\Middleware {

    use App\Logging\LogLine;
    use Closure;
    use Illuminate\Http\Request;
    use Illuminate\Http\Response;
    use Plivo\Util\v3SignatureValidation;

    /**
     * Lets a request through only if Plivo signed it (X-Plivo-Signature-V3):
     * 403 and one request-refused line otherwise, before any controller code runs.
     */
    class VerifyPlivoSignature
    {
        // --8<-- [start:verify]
        public function handle(Request $request, Closure $next)
        {
            // Plivo signed the URL it called: PUBLIC_URL, this path and the raw query.
            $url = config('services.plivo.public_url').$request->getRequestUri();
            $signature = (string) $request->header('X-Plivo-Signature-V3');
            $nonce = (string) $request->header('X-Plivo-Signature-V3-Nonce');
            if ($signature === '' || $nonce === '') {
                return self::refuse('no-signature', $url);
            }
            if (!self::signedByPlivo($request, $url, $nonce, $signature)) {
                return self::refuse('bad-signature', $url);
            }

            return $next($request);
        }

        private static function signedByPlivo(Request $request, string $url, string $nonce, string $signature): bool
        {
            // plivo/php-sdk 4.70 splits a query string in the URL on "&" and "="
            // without percent-decoding it, but Plivo signs the decoded values
            // (which may hold "&" or "="): the URL goes in without its query, and
            // the decoded fields go in as parameters, repeated names joined as the
            // signed string joins them.
            [$base, $query] = explode('?', $url, 2) + [1 => ''];
            if ($request->getRealMethod() === 'GET') {
                $params = self::joinRepeats(self::pairs($query), '&%s=');
            } else {
                $body = $request->getContentType() === 'form' ? $request->getContent() : '';
                $params = self::joinRepeats(self::pairs($body), '%s');
                if ($query !== '') {
                    // A POST signs "query.body"; the SDK puts the empty name first.
                    $pairs = array_map(static fn ($pair) => $pair[0].'='.$pair[1], self::pairs($query));
                    $params = ['' => implode('&', $pairs).($params ? '.' : '')] + $params;
                }
            }

            $method = $request->getRealMethod();
            $token = config('services.plivo.auth_token');

            return v3SignatureValidation::validateV3Signature($method, $base, $nonce, $token, $signature, $params);
        }

        /** Decoded [name, value] pairs of a query or form body, sorted as Plivo sorts them. */
        private static function pairs(string $encoded): array
        {
            $pieces = array_filter(explode('&', $encoded), 'strlen');
            $pairs = array_map(
                static fn ($piece) => array_map('urldecode', explode('=', $piece, 2) + [1 => '']),
                $pieces
            );
            usort($pairs, static fn ($a, $b) => strcmp($a[0], $b[0]) ?: strcmp($a[1], $b[1]));

            return $pairs;
        }

        /** One value per name, as the SDK takes them: "a=1&a=2" becomes a => "1{glue}2". */
        private static function joinRepeats(array $pairs, string $glue): array
        {
            $params = [];
            foreach ($pairs as [$name, $value]) {
                $params[$name] = isset($params[$name]) ? $params[$name].sprintf($glue, $name).$value : $value;
            }

            return $params;
        }

        private static function refuse(string $reason, string $url): Response
        {
            LogLine::write('request-refused', ['reason' => $reason, 'url' => $url]);

            return new Response("Forbidden\n", 403, ['Content-Type' => 'text/plain; charset=UTF-8']);
        }
        // --8<-- [end:verify]
    }
}
