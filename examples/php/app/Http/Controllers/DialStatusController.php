<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Http\Response;
use Illuminate\Support\Facades\Log;
use Plivo\XML\Response as PlivoXml;

/**
 * Plivo's two webhooks. VerifyPlivoSignature has checked the signature
 * before either method runs (see routes/api.php).
 */
class DialStatusController
{
    // --8<-- [start:answer]
    /** Answer URL: dial DIAL_NUMBER and report the outcome to the action URL. */
    public function answer()
    {
        $plivo = config('services.plivo');

        $xml = new PlivoXml();
        $dial = $xml->addDial([
            'action' => $plivo['public_url'].'/dialstatus/action/',
            'method' => 'POST',
            // A string on purpose: this SDK writes boolean false as "none".
            'redirect' => 'true',
        ]);
        $dial->addNumber($plivo['dial_number']);

        return new Response($xml->toXML(), 200, ['Content-Type' => 'application/xml']);
    }
    // --8<-- [end:answer]

    // --8<-- [start:action]
    /** Action URL: log the outcome; with redirect="true" the reply runs next. */
    public function action(Request $request)
    {
        // The body's form fields for POST (not $request->all(), which mixes in
        // the query string), the query string for GET.
        $fields = $request->getRealMethod() === 'POST' ? $request->request : $request->query;
        $status = (string) $fields->get('DialStatus');
        if ($status === '') {
            return new Response("DialStatus is missing\n", 400, ['Content-Type' => 'text/plain; charset=UTF-8']);
        }

        Log::channel('dialstatus')->info(sprintf(
            'dial-status status=%s aleg=%s bleg=%s hangup_cause=%s rang=%s',
            self::forLog($status),
            self::forLog($fields->get('DialALegUUID')),
            self::forLog($fields->get('DialBLegUUID')),
            self::forLog($fields->get('DialHangupCause')),
            self::forLog($fields->get('DialRingStatus'))
        ));

        $xml = new PlivoXml();
        if ($status !== 'completed') {
            // busy, failed, timeout, no-answer, or a value Plivo adds later.
            $xml->addSpeak('Sorry, the person you are calling could not be reached. Goodbye.');
        }

        return new Response($xml->toXML(), 200, ['Content-Type' => 'application/xml']);
    }

    /** Spaces and control characters become "_": a value can neither end the line nor fake a field. */
    private static function forLog(?string $value): string
    {
        return preg_replace('/[\x{0}-\x{20}\x{7F}-\x{9F}]/u', '_', (string) $value);
    }
    // --8<-- [end:action]
}
