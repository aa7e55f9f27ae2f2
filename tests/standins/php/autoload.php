<?php

/*
 * Test stand-in for plivo/php-sdk: our own minimal code for exactly the calls
 * examples/php makes (Plivo\XML\Response, addDial, addNumber, addSpeak,
 * toXML, Plivo\Util\v3SignatureValidation::validateV3Signature), written from
 * the project's checked facts about the SDK (plivo/php-sdk 4.70), quirks
 * included. It is never part of the example: when the real SDK is not
 * installed, the harness names this file in PLIVO_SDK_STANDIN, which the
 * vendor/autoload.php written by tests/launch/php/write-vendor-autoload.php
 * loads; the example's code is the same with either.
 */

spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'Plivo\\', 6) !== 0) {
        return;
    }
    $file = __DIR__.'/'.str_replace('\\', '/', $class).'.php';
    if (is_file($file)) {
        require $file;
    }
});
