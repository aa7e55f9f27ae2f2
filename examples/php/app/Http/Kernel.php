<?php

namespace App\Http;

use Illuminate\Foundation\Http\Kernel as HttpKernel;

class Kernel extends HttpKernel
{
    /**
     * Run on every request.
     *
     * Deliberately absent: TrimStrings and ConvertEmptyStringsToNull, which a
     * new Laravel app runs globally. They rewrite the values Plivo sent, so the
     * handlers would log something other than what Plivo signed.
     */
    protected $middleware = [];

    /**
     * routes/api.php runs in the "api" group: stateless, so no session,
     * cookies or CSRF token, which Plivo could never send.
     */
    protected $middlewareGroups = [
        'api' => [
            \Illuminate\Routing\Middleware\SubstituteBindings::class,
        ],
    ];
}
