package io.veoupscale.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Command lines for child JVMs: a main class on this process's own classpath (also from
 * inside this suite's executable jar).
 */
final class JavaProcesses {

	private JavaProcesses() {
	}

	/**
	 * The java executable running this process.
	 * @return its path
	 */
	static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/**
	 * A command that runs a main class from this process's classpath.
	 * @param mainClass the class
	 * @param jvmOptions options before the class
	 * @return the command up to the program arguments
	 */
	static List<String> mainClass(String mainClass, List<String> jvmOptions) {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmOptions);
		String classpath = System.getProperty("java.class.path");
		if (isBootJar(classpath)) {
			// Inside the suite's executable jar the libraries are nested: Boot's
			// PropertiesLauncher opens them and runs the class named by loader.main.
			command.add("-Dloader.main=" + mainClass);
			command.add("-cp");
			command.add(classpath);
			command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		else {
			command.add("-cp");
			command.add(classpath);
			command.add(mainClass);
		}
		return command;
	}

	private static boolean isBootJar(String classpath) {
		if (classpath.contains(java.io.File.pathSeparator) || !classpath.endsWith(".jar")
				|| !Files.isRegularFile(Path.of(classpath))) {
			return false;
		}
		try (JarFile jar = new JarFile(classpath)) {
			return jar.getEntry("BOOT-INF/lib/") != null
					|| jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
