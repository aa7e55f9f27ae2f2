<?php

namespace App\Providers;

use Illuminate\Support\ServiceProvider;
use RuntimeException;

class AppServiceProvider extends ServiceProvider
{
    /** Refuse to run without the auth token, whatever starts the app. */
    public function boot()
    {
        if (config('services.plivo.auth_token') === '') {
            throw new RuntimeException('PLIVO_AUTH_TOKEN is not set: set it to your Plivo auth token.');
        }
    }
}
