<?php

use App\Http\Controllers\DialStatusController;
use App\Http\Middleware\VerifyPlivoSignature;
use Illuminate\Support\Facades\Route;

/*
 * Plivo's webhooks. Laravel matches a path with or without its trailing
 * slash, and answers any other method with 405 before the middleware runs.
 */
Route::middleware(VerifyPlivoSignature::class)->group(function () {
    Route::match(['GET', 'POST'], '/dialstatus/', [DialStatusController::class, 'answer']);
    Route::match(['GET', 'POST'], '/dialstatus/action/', [DialStatusController::class, 'action']);
});
