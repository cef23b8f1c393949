package io.gonkanode.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house rule of docs/architecture.md that a compiler can check, on a module's compiled main classes:
 * every package arrow runs one way.
 */
public final class Architecture {

    private Architecture() {
    }

    /** The module's own classes under {@code rootPackage}, tests left out. */
    public static JavaClasses classes(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(rootPackage);
    }

    /** No package imports a package that (through others) imports it. */
    public static void assertNoPackageCycles(String rootPackage) {
        slices().matching(rootPackage + ".(**)").should().beFreeOfCycles().check(classes(rootPackage));
    }
}
