<?php

/*
 * Test-machine stand-in for `composer install` in examples/php, which needs
 * Packagist (out of reach here). Run in the example's folder, it writes the
 * vendor/autoload.php that Composer would make (vendor/ is gitignored), here
 * loading Debian's php-laravel-framework, the app's own App\ classes, and the
 * Plivo SDK stand-in named by PLIVO_SDK_STANDIN (the harness sets it only
 * when the real SDK is not installed). A vendor/ made by Composer is left alone.
 */

if (is_dir('vendor/composer')) {
    fwrite(STDOUT, "vendor/ was made by Composer: left as it is\n");
    exit(0);
}
if (!stream_resolve_include_path('Illuminate/autoload.php')) {
    fwrite(STDERR, "Laravel is not installed here: apt-get install php-laravel-framework\n");
    exit(1);
}

$autoload = <<<'PHP'
<?php

// Written by tests/launch/php/write-vendor-autoload.php in place of Composer's.
require_once 'Illuminate/autoload.php';

spl_autoload_register(static function (string $class): void {
    $file = dirname(__DIR__).'/app/'.str_replace('\\', '/', substr($class, 4)).'.php';
    if (strncmp($class, 'App\\', 4) === 0 && is_file($file)) {
        require $file;
    }
});

if (getenv('PLIVO_SDK_STANDIN')) {
    require_once getenv('PLIVO_SDK_STANDIN');
}

PHP;

is_dir('vendor') || mkdir('vendor');
file_put_contents('vendor/autoload.php', $autoload);
