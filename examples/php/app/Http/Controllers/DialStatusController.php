<?php

namespace App\Http\Controllers;

use App\Logging\LogLine;
use Illuminate\Http\Request;
use Illuminate\Http\Response;
use Plivo\XML\Response as PlivoXml;

/**
 * Plivo's two webhooks. VerifyPlivoSignature has checked the signature
 * before either method runs (see routes/api.php).
 */
class DialStatusController
{
    // --8<-- [start:answer]
    /** Answer URL: dial DIAL_NUMBER when the call starts; log the hangup request when it ends. */
    public function answer(Request $request)
    {
        $field = self::fields($request);
        $xml = new PlivoXml();
        $callStatus = $field('CallStatus');
        if (!in_array($callStatus, ['', 'ringing', 'in-progress'], true)) {
            LogLine::write('call-hangup', [
                'call' => $field('CallUUID'),
                'status' => $callStatus,
                'hangup_cause' => $field('HangupCause'),
                'duration' => $field('Duration'),
            ]);

            return self::xml($xml);
        }

        $plivo = config('services.plivo');
        $dial = $xml->addDial([
            'action' => $plivo['public_url'].'/dialstatus/action/',
            'method' => 'POST',
            // A string on purpose: this SDK writes boolean false as "none".
            'redirect' => 'true',
        ]);
        $dial->addNumber($plivo['dial_number']);

        return self::xml($xml);
    }
    // --8<-- [end:answer]

    // --8<-- [start:action]
    /** Action URL: log the outcome; with redirect="true" the reply runs next. */
    public function action(Request $request)
    {
        $field = self::fields($request);
        $status = $field('DialStatus');
        if ($status === '') {
            return new Response("DialStatus is missing\n", 400, ['Content-Type' => 'text/plain; charset=UTF-8']);
        }

        LogLine::write('dial-status', [
            'status' => $status,
            'aleg' => $field('DialALegUUID'),
            'bleg' => $field('DialBLegUUID'),
            'hangup_cause' => $field('DialHangupCause'),
            'rang' => $field('DialRingStatus'),
        ]);

        $xml = new PlivoXml();
        if ($status !== 'completed') {
            // busy, failed, timeout, no-answer, or a value Plivo adds later.
            $xml->addSpeak('Sorry, the person you are calling could not be reached. Goodbye.');
        }

        return self::xml($xml);
    }
    // --8<-- [end:action]

    // Plivo's parameters: the form body for POST (not $request->all(), which
    // mixes in the query string), the query for GET; a PHP array (a[]=1) reads as "".
    private static function fields(Request $request): callable
    {
        $fields = ($request->getRealMethod() === 'POST' ? $request->request : $request->query)->all();

        return static fn (string $name): string => is_string($fields[$name] ?? null) ? $fields[$name] : '';
    }

    private static function xml(PlivoXml $xml): Response
    {
        return new Response($xml->toXML(), 200, ['Content-Type' => 'application/xml']);
    }
}
