<?php

use Monolog\Formatter\LineFormatter;
use Monolog\Handler\StreamHandler;

return [

    // Errors go to PHP's error log: PHP-FPM hands it to nginx, which writes
    // it to its standard error.
    'default' => env('LOG_CHANNEL', 'errorlog'),

    'channels' => [

        'errorlog' => [
            'driver' => 'errorlog',
        ],

        // The app's own lines (see app/Logging/LogLine.php), one per
        // record, on standard output.
        'stdout' => [
            'driver' => 'monolog',
            'handler' => StreamHandler::class,
            'with' => ['stream' => 'php://stdout'],
            'formatter' => LineFormatter::class,
            'formatter_with' => ['format' => "%message%\n"],
        ],

    ],

];
