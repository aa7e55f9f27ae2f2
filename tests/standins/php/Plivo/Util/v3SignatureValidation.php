<?php

namespace Plivo\Util;

use Plivo\Exceptions\PlivoValidationException;

/**
 * Stand-in for the SDK's V3 webhook signature check, with the SDK's own
 * behaviour where it differs from Plivo's description of the algorithm:
 *
 * - every input and the signed string go through utf8_encode(): E_DEPRECATED
 *   on PHP 8.2, and non-ASCII UTF-8 is encoded twice, so it never matches;
 * - the query string of $uri is split on "&" and "=" but not percent-decoded,
 *   text after a second "=" is lost, and a piece without "=" raises an
 *   "Undefined array key" warning (a URL without a query is fine since 4.68);
 * - params are passed through strval(): an array value becomes "Array", with a warning;
 * - keys and repeated values are sorted with SORT_NATURAL;
 * - the port stays in the signed URL;
 * - a method other than GET or POST throws PlivoValidationException.
 */
class v3SignatureValidation
{
    public static function validateV3Signature($method, $uri, $nonce, $auth_token, $v3_signature, $params = [])
    {
        $key = utf8_encode($auth_token);
        $nonce = utf8_encode($nonce);
        $candidates = explode(',', utf8_encode($v3_signature));
        $uri = utf8_encode($uri);
        $params = array_map('strval', $params);

        if ($method == 'GET') {
            $signed = self::signedGetUrl($uri, $params);
        } elseif ($method == 'POST') {
            $signed = self::signedPostUrl($uri, $params);
        } else {
            throw new PlivoValidationException('method not allowed for signature validation');
        }
        $expected = base64_encode(hash_hmac('sha256', utf8_encode($signed.'.'.$nonce), $key, true));

        return in_array($expected, $candidates);
    }

    /** GET: the URL's query and the parameters, merged, sorted, as ?k=v&k=v. */
    private static function signedGetUrl($uri, array $params)
    {
        [$base, $query] = self::split($uri);
        $joined = self::joinPairs(array_merge_recursive($params, $query));

        return strlen($joined) > 0 ? $base.'?'.$joined : $base;
    }

    /** POST: the URL's query (sorted k=v&k=v), a ".", then the body as sorted keyvalue. */
    private static function signedPostUrl($uri, array $params)
    {
        [$base, $query] = self::split($uri);
        $joined = self::joinPairs($query);
        if (count($params) === 0) {
            return strlen($joined) > 0 ? $base.'?'.$joined : $base;
        }
        $names = array_keys($params);
        sort($names, SORT_NATURAL);
        $body = '';
        foreach ($names as $name) {
            $body .= $name.$params[$name];
        }

        return $base.'?'.(strlen($joined) > 0 ? $joined.'.' : '').$body;
    }

    /** [scheme://host[:port]/path, [key => [raw values]]] */
    private static function split($uri)
    {
        $parts = parse_url($uri);
        $base = $parts['scheme'].'://'.$parts['host'];
        if (isset($parts['port'])) {
            $base .= ':'.$parts['port'];
        }
        if (isset($parts['path'])) {
            $base .= $parts['path'];
        }
        $query = [];
        if (isset($parts['query']) && $parts['query'] != null) {
            foreach (explode('&', $parts['query']) as $piece) {
                $halves = explode('=', $piece);
                $query[$halves[0]][] = $halves[1];
            }
        }

        return [$base, $query];
    }

    private static function joinPairs(array $pairs)
    {
        ksort($pairs, SORT_NATURAL);
        $joined = [];
        foreach ($pairs as $name => $values) {
            if (is_array($values)) {
                sort($values, SORT_NATURAL);
            } else {
                $values = [$values];
            }
            foreach ($values as $value) {
                $joined[] = $name.'='.$value;
            }
        }

        return implode('&', $joined);
    }
}
