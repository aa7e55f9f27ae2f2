<?php

return [

    'name' => 'Dial status reporting',

    'env' => env('APP_ENV', 'production'),

    // Debug mode puts stack traces and settings into error responses: keep it
    // off on anything Plivo (or anyone else) can reach.
    'debug' => (bool) env('APP_DEBUG', false),

    'timezone' => 'UTC',

    // No database, session, cache, views or console: only what routing needs.
    'providers' => [
        Illuminate\Filesystem\FilesystemServiceProvider::class,
        App\Providers\AppServiceProvider::class,
        App\Providers\RouteServiceProvider::class,
    ],

];
