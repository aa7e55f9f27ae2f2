<?php

/*
 * Test-machine stand-in for `composer install` in examples/php, which needs
 * Packagist (out of reach here). Run in the example's folder, it writes the
 * vendor/autoload.php that Composer would make (vendor/ is gitignored), from
 * Debian's php-laravel-framework: like Composer's optimized autoloader (the
 * example's composer.json asks for one), one class map, built here from the
 * maps of Debian's per-package autoloaders, plus their function files; then
 * the app's own App\ classes, and the Plivo SDK stand-in named by
 * PLIVO_SDK_STANDIN (the harness sets it only when the real SDK is not
 * installed). A vendor/ made by Composer is left alone.
 */

if (is_dir('vendor/composer')) {
    fwrite(STDOUT, "vendor/ was made by Composer: left as it is\n");
    exit(0);
}
if (!stream_resolve_include_path('Illuminate/autoload.php')) {
    fwrite(STDERR, "Laravel is not installed here: apt-get install php-laravel-framework\n");
    exit(1);
}

require_once 'Illuminate/autoload.php';
$classes = [];
foreach (spl_autoload_functions() as $loader) {
    // Debian's loaders (phpab) fill a static map on their first call, and
    // require __DIR__.$classes[lower-case class name].
    if ($loader instanceof Closure) {
        $loader('No\\Such\\Class');
        $function = new ReflectionFunction($loader);
        foreach ($function->getStaticVariables()['classes'] ?? [] as $class => $path) {
            $classes[$class] ??= dirname($function->getFileName()).$path;
        }
    }
}
// What the autoload files load up front (helpers.php, functions.php, ...).
$files = array_values(array_filter(
    get_included_files(),
    static fn (string $file): bool => basename($file) !== 'autoload.php' && $file !== __FILE__
));

$autoload = "<?php\n\n// Written by tests/launch/php/write-vendor-autoload.php in place of Composer's.\n\n"
    .'$classes = '.var_export($classes, true).";\n\n"
    .<<<'PHP'
spl_autoload_register(static function (string $class) use ($classes): void {
    $name = strtolower($class);
    if (isset($classes[$name])) {
        require $classes[$name];
    } elseif (strncmp($class, 'App\\', 4) === 0) {
        $file = dirname(__DIR__).'/app/'.str_replace('\\', '/', substr($class, 4)).'.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

PHP
    .implode('', array_map(static fn (string $file): string => 'require_once '.var_export($file, true).";\n", $files))
    .<<<'PHP'

if (getenv('PLIVO_SDK_STANDIN')) {
    require_once getenv('PLIVO_SDK_STANDIN');
}

PHP;

is_dir('vendor') || mkdir('vendor');
file_put_contents('vendor/autoload.php', $autoload);
