<?php

/*
 * Class loading. After `composer install`, Composer's autoloader provides
 * everything. Without vendor/, Laravel can come from the system's PHP include
 * path (Debian and Ubuntu package it as php-laravel-framework), App\ is loaded
 * from app/ here, and PLIVO_SDK_AUTOLOAD may name a file that registers an
 * autoloader for Plivo's SDK, which no distribution packages.
 * serve.php refuses to start when Laravel or the SDK is missing.
 */

if (is_file(__DIR__.'/../vendor/autoload.php')) {
    return require __DIR__.'/../vendor/autoload.php';
}

if (stream_resolve_include_path('Illuminate/autoload.php')) {
    require_once 'Illuminate/autoload.php';

    spl_autoload_register(static function (string $class): void {
        if (strncmp($class, 'App\\', 4) === 0) {
            $file = __DIR__.'/../app/'.str_replace('\\', '/', substr($class, 4)).'.php';
            if (is_file($file)) {
                require $file;
            }
        }
    });
}

if (getenv('PLIVO_SDK_AUTOLOAD')) {
    require_once getenv('PLIVO_SDK_AUTOLOAD');
}
