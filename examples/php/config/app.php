<?php

return [

    'name' => 'Dial status reporting',

    'env' => env('APP_ENV', 'production'),

    // Debug mode puts stack traces and settings into error responses: keep it
    // off on anything Plivo (or anyone else) can reach.
    'debug' => (bool) env('APP_DEBUG', false),

    'timezone' => 'UTC',

    // No database, session, cache or views: only what routing (and
    // `php artisan serve`) needs.
    'providers' => [
        Illuminate\Filesystem\FilesystemServiceProvider::class,
        Illuminate\Foundation\Providers\ConsoleSupportServiceProvider::class,
        App\Providers\AppServiceProvider::class,
        App\Providers\RouteServiceProvider::class,
    ],

];
