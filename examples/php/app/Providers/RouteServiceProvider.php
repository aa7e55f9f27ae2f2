<?php

namespace App\Providers;

use Illuminate\Foundation\Support\Providers\RouteServiceProvider as ServiceProvider;
use Illuminate\Support\Facades\Route;

class RouteServiceProvider extends ServiceProvider
{
    public function boot()
    {
        $this->routes(function () {
            // No "api/" prefix: the paths are the ones configured in Plivo.
            Route::middleware('api')->group(base_path('routes/api.php'));
        });
    }
}
