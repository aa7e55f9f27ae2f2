<?php

namespace App\Logging;

use Illuminate\Support\Facades\Log;

/** The app's lines on standard output: "event name=value ...", one write each. */
class LogLine
{
    public static function write(string $event, array $fields): void
    {
        foreach ($fields as $name => $value) {
            $event .= ' '.$name.'='.self::logSafe($value);
        }
        Log::channel('stdout')->info($event);
    }

    /** Spaces, controls and line separators become "_": a value can neither end the line nor fake a field. */
    public static function logSafe(?string $value): string
    {
        return preg_replace('/[\x{0}-\x{20}\x{7F}-\x{9F}\x{2028}\x{2029}]/u', '_', mb_scrub((string) $value, 'UTF-8'));
    }
}
