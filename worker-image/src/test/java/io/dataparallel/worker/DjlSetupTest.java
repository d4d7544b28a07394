package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import org.junit.jupiter.api.Test;

/** Issue 10 item 6: a CUDA flavour with the CPU natives on the classpath refuses to start (DJL would load the CPU ones). */
class DjlSetupTest {
    @Test
    void aCudaFlavourWithTheCpuNativesOnTheClasspathIsRefused() {
        // this module's test classpath carries pytorch-native-cpu, as the GPU image did
        BadInputException e = assertThrows(BadInputException.class,
                () -> DjlSetup.checkNatives("cu128", DjlSetupTest.class.getClassLoader()));
        assertTrue(e.getMessage().contains("pytorch-native-cpu"), e.getMessage());
    }

    @Test
    void theCpuFlavourWithTheCpuNativesIsFine() {
        assertDoesNotThrow(() -> DjlSetup.checkNatives("cpu", DjlSetupTest.class.getClassLoader()));
    }

    @Test
    void aCudaFlavourWithNoBundledNativesIsFine() {
        assertDoesNotThrow(() -> DjlSetup.checkNatives("cu128", new ClassLoader(null) { }));
    }
}
