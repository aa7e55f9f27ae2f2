<?php

use Monolog\Formatter\LineFormatter;
use Monolog\Handler\StreamHandler;

return [

    'default' => env('LOG_CHANNEL', 'stderr'),

    'channels' => [

        'stderr' => [
            'driver' => 'monolog',
            'handler' => StreamHandler::class,
            'with' => ['stream' => 'php://stderr'],
        ],

        // One plain line per finished dial, on standard output.
        'dialstatus' => [
            'driver' => 'monolog',
            'handler' => StreamHandler::class,
            'with' => ['stream' => 'php://stdout'],
            'formatter' => LineFormatter::class,
            'formatter_with' => ['format' => "%message%\n"],
        ],

    ],

];
