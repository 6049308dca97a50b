package dev.mvp.signaling.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium with the demo page, driven through chromedriver. The browser and the driver
 * are the Debian packages' ({@code chromium}, {@code chromium-driver}); their paths can be changed
 * with {@code CHROMIUM_BIN} and {@code CHROMEDRIVER_BIN}. Each browser gets a fresh profile directory,
 * deleted on {@link #close}.
 */
final class Browser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    static Browser open(URI page) throws IOException {
        Path profile = Files.createTempDirectory("e2e-chromium-");
        ChromeOptions options = new ChromeOptions();
        // Setting both paths keeps Selenium Manager from looking for (or downloading) anything.
        options.setBinary(env("CHROMIUM_BIN", "/usr/bin/chromium"));
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile,
                // Without these two Chromium gathers no ICE candidates when loopback is all there is.
                "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
                "--window-size=900,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            driver.get(page.toString());
            return new Browser(profile, service, driver);
        } catch (RuntimeException e) {
            if (driver != null) {
                driver.quit();
            }
            service.stop();
            deleteTree(profile);
            throw e;
        }
    }

    /** Clicks the page's button with this element id. */
    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    /** Types a message into the chat box and presses Send, as a user would. */
    void typeMessage(String text) {
        driver.findElement(By.id("text")).sendKeys(text);
        click("send");
    }

    /** The page's {@code window.demo.state}: signaling, peer, channel, peerId, closeReason. */
    @SuppressWarnings("unchecked")
    Map<String, Object> state() {
        return (Map<String, Object>) script("return window.demo.state;");
    }

    String state(String key) {
        return String.valueOf(state().get(key));
    }

    /** The texts received on the data channel, in order. */
    @SuppressWarnings("unchecked")
    List<String> messages() {
        List<Map<String, Object>> all = (List<Map<String, Object>>) script("return window.demo.messages;");
        return all.stream().map(m -> String.valueOf(m.get("text"))).toList();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> byes() {
        return (List<Map<String, Object>>) script("return window.demo.byes;");
    }

    /** The selected ICE candidate pair from getStats(): {state, local:{address,...}, remote:{...}}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> selectedCandidatePair() {
        return (Map<String, Object>) script("return window.demo.selectedCandidatePair();");
    }

    boolean send(String text) {
        return Boolean.TRUE.equals(script("return window.demo.send(arguments[0]);", text));
    }

    /** Sends a raw frame to the server through the page's WebSocket, bypassing the page's own logic. */
    void signal(String json) {
        script("window.demo.signal(JSON.parse(arguments[0]));", json);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Waits, at most {@link #WAIT}, until the condition holds for this browser. */
    void await(String what, Predicate<Browser> condition) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
                .withMessage(() -> what + "; page state " + state() + ", log: " + logText())
                .until(d -> condition.test(this));
    }

    String logText() {
        return driver.findElement(By.id("log")).getText();
    }

    /** A PNG screenshot of the page. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a test for.
        }
    }
}
