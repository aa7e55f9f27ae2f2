<?php

namespace App\Providers;

use Illuminate\Support\ServiceProvider;
use RuntimeException;

class AppServiceProvider extends ServiceProvider
{
    /** Refuse to run without the settings the webhooks need, whatever starts the app. */
    public function boot()
    {
        if (config('services.plivo.auth_token') === '') {
            throw new RuntimeException('PLIVO_AUTH_TOKEN is not set: set it to your Plivo auth token.');
        }
        if (!preg_match('#^https?://[^/?\#]+(/[^?\#]*)?$#', config('services.plivo.public_url'))) {
            throw new RuntimeException('PUBLIC_URL must be an http(s) URL without a query string.');
        }
    }
}
