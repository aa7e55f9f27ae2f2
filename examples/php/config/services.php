<?php

return [

    'plivo' => [
        // Checks X-Plivo-Signature-V3 on every webhook; the app refuses to run without it.
        'auth_token' => (string) env('PLIVO_AUTH_TOKEN', ''),

        // The base URL at which Plivo reaches this app (a tunnel or your domain).
        // Plivo signs the exact URL it calls, so this must match it, port included.
        'public_url' => rtrim(env('PUBLIC_URL') ?: 'http://127.0.0.1:'.(env('PORT') ?: 8084), '/'),

        // The number the answer URL dials, in E.164. The default is a fictional number.
        'dial_number' => (string) (env('DIAL_NUMBER') ?: '+15555550100'),
    ],

];
